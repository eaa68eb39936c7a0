"""Spreadsheets, CSV files and PDF documents Bagian Organisasi hands on.

``xlsx``, ``csv`` and ``pdf`` are the writers; ``tables`` and ``documents`` turn the
same selectors the pages use into rows and template contexts; ``registry`` names every
export kind for the views and the ``export`` management command.
"""
