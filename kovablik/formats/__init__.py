"""The portal's one date format, for every language it speaks (FORMAT_MODULE_PATH).

Pages, PDFs, e-mails and admin lists print a date as "3 Juni 2024" and a moment as
"3 Juni 2024 14:05": the day, the month's full name, the year. Django's Indonesian defaults
("3 Jun. 2024", "d-m-Y") and templates' own "j M Y" had made three spellings of one date.
Templates and code ask for ``DATE_FORMAT`` / ``DATETIME_FORMAT`` (``|date`` alone is the
first), never a format string of their own; tests/kovablik/test_date_format.py checks.
"""
