"""Page objects: every selector and JSON path of one site lives in its module here."""
