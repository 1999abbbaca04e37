"""Many decisions at once, read for a board: forecasts, rankings, the plan report.

* :mod:`~luanchuyen.analysis.forecast` — when a cadre becomes eligible, and what changes it;
* :mod:`~luanchuyen.analysis.ranking` — candidates for a post, best first;
* :mod:`~luanchuyen.analysis.plan` — the plan report over a batch (counts, quotas);
* :mod:`~luanchuyen.analysis.candidates` — every cadre × every open post, verdicts in bulk.

They sit above :mod:`luanchuyen.batch` and take their verdict rule and result table from
:mod:`luanchuyen.verdict` and :mod:`luanchuyen.results`.
"""
