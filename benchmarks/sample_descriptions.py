"""Draw the descriptions labelled for requirements (``benchmarks/labelled/requirements*.csv``).

    .venv/bin/python benchmarks/sample_descriptions.py > /tmp/sample.csv

A seeded sample (seed 20261203) of real posting descriptions in ``../shared/realdata/``,
stratified by file, three in four mentioning a degree, a certification or years (so the
labels have something to say), one in four drawn from all. The held-out part comes only from
files the requirements reader was never tuned on (not the cyber-job-radar file its tests
use); it was labelled first, by reading, and is never used to tune the reader.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.accuracy import resolve  # noqa: E402

SEED = 20261203
# (file, record template, how many indexes it has, held-out?, how many to draw)
FILES = [
    (
        "salary_strings/bsdevda_cyber-job-radar__security_jobs.json",
        "[{i}].description",
        389,
        False,
        45,
    ),
    ("salary_strings/stapply-ai__uber_careers.json", "jobs[{i}].description", 776, False, 25),
    ("api_json/jdoner02__usajobs_cyber_jobs_normalized.json", "[{i}].description", 54, False, 15),
    ("api_json/Wall-Street-Playbook__remotive.json", "jobs[{i}].description", 20, False, 10),
    ("salary_strings/scrapfly__google_jobs_search.json", "jobs[{i}].description", 56, False, 10),
    ("api_json/midat-fx__sample_greenhouse_gitlab.json", "jobs[{i}].content", 2, False, 2),
    ("api_json/midat-fx__sample_ashby_linear.json", "jobs[{i}].descriptionHtml", 2, False, 2),
    ("salary_strings/AMREESHAYS_cyberjobs-radar__jobs.json", "[{i}].description", 1274, True, 22),
    ("api_json/JACKAS5_resume-helper__remoteok.json", "[{i}].description", 95, True, 16),
    ("api_json/WorkVerse__remotive.json", "jobs[{i}].description", 35, True, 12),
    (
        "api_json/brightdata__linkedin_jobs_search_url.json",
        "[{i}].job_description_formatted",
        20,
        True,
        10,
    ),
    (
        "api_json/Wall-Street-Playbook__active_jobs_db_api.json",
        "[{i}].description_text",
        85,
        True,
        10,
    ),
    (
        "api_json/Wall-Street-Playbook__linkedin_jobsearch_api_finance.json",
        "[{i}].description_text",
        100,
        True,
        8,
    ),
]
SINGLE = [  # one description each: (file, record, held-out?)
    (
        "api_json/lubobali_aws-job-streamer__workday_gdit_job_detail.json",
        "jobPostingInfo.jobDescription",
        True,
    ),
    (
        "api_json/Pavlana_getjo__workday_kainos_job_detail.json",
        "jobPostingInfo.jobDescription",
        True,
    ),
    ("html_jobposting/jobseek__jsonld_neura_robotics_manager.html", "description", False),
]
HINTS = re.compile(r"certif|degree|bachelor|master|years|CISSP|CISM|diploma", re.IGNORECASE)


def main() -> None:
    rng = random.Random(SEED)
    writer = csv.writer(sys.stdout)
    writer.writerow(["part", "source_file", "record", "chars"])
    seen: set[str] = set()
    for source, template, count, held_out, wanted in FILES:
        texts = []
        for index in range(count):
            record = template.format(i=index)
            try:
                text = resolve(source, record)
            except (KeyError, IndexError, TypeError):
                continue
            if isinstance(text, str) and len(text) > 200 and text not in seen:
                texts.append((record, text))
        rng.shuffle(texts)
        hinted = [t for t in texts if HINTS.search(t[1])]
        picked = hinted[: wanted * 3 // 4]
        picked += [t for t in texts if t not in picked][: wanted - len(picked)]
        for record, text in picked:
            seen.add(text)
            writer.writerow(["heldout" if held_out else "tune", source, record, len(text)])
    for source, record, held_out in SINGLE:
        writer.writerow(
            ["heldout" if held_out else "tune", source, record, len(resolve(source, record))]
        )


if __name__ == "__main__":
    main()
