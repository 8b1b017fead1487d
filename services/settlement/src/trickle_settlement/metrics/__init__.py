"""The settlement's own figures: the period close's progress and duration, the trial balance's difference.

``figures.py`` defines the gauges, ``repository.py`` reads them from the database, ``sampler.py``
is the worker task that sets them every ``metrics_sample_interval_s`` (docs/operations.md).
"""
