"""Cadre records as organisation boards write them: the flat layout of sheets and tables.

Below every layer that reads records (batch, analysis, render, io), above the models:

* :mod:`luanchuyen.records.columns` — the column catalogue (headers, fields, kinds, aliases);
* :mod:`luanchuyen.records.cells` — cells as people write them (dates, yes/no, ratings,
  discipline);
* :mod:`luanchuyen.records.layout` — finding the header, reading a row (every error, notes);
* :mod:`luanchuyen.records.titles` — free-text titles → title codes;
* :mod:`luanchuyen.records.frames` — table ↔ rows and models.

Reading and writing files (encodings, sheets, databases, the results workbook) is the edge
layer's job: :mod:`luanchuyen.io`.
"""
