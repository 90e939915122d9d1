"""The web application: Django project ``chiso.web`` with one app per part of the cycle.

Apps: ``accounts`` (people and roles), ``cycles`` (assessor, units, frameworks, cycles),
``submissions`` (self-assessment, evidence, submit), ``audit`` (who changed what),
``reviews`` (review rounds), ``results`` (results and publication), ``api`` (JSON API).
Every score comes from :mod:`chiso.core`; the web stores answers and calls it.
"""
