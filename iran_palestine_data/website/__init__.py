"""The static site: the dataset as plain HTML files that work from ``file://`` and from any static host,
every row beside its quote in the full text of its source.

* :mod:`.build` — :func:`site` (build into a temporary folder beside the target, then swap it in) and
  :class:`SiteReport` (pages, files, bytes, the largest page, what was skipped), the size budget;
* :mod:`.collect` — everything the pages show, read once: the tables, the sources' texts, where each
  quote is, coverage, citations, histories, related rows and actor profiles;
* :mod:`.pages` — the home page, the timeline, the four tables and the conflicts; :mod:`.detail_pages`
  — one page per row, source and actor;
* :mod:`.highlight` — a source's text as HTML, each piece escaped: one quote marked, or every coded
  span and exclusion; :mod:`.timeline` — the inline SVG time axis;
* :mod:`.render` — the Jinja2 environment (autoescape on) and the page writer; :mod:`.safety` — the id
  patterns that file names must match, the URLs that may become links, JSON inside ``<script>``;
* :mod:`.downloads` — the CSV zip, the SQLite database and the Parquet zip offered on the home page.

May import every part below it (``publish``, ``release``, ``graph``, ``analysis``, ``read``,
``contract`` and the ground floor); never ``cli``. Templates are in ``templates/``, the stylesheet and
script (our own, no third-party code) in ``assets/``.
"""
