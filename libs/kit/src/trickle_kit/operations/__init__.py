"""Operator endpoints every service mounts: its outbox backlog and its inbox's dead letters.

``operations_router(service, topics=...)`` (router.py) builds them under
``/v1/operations/<service>/``; ``queries.py`` holds the reads (metrics reuse them),
``dead_letters.py`` finds a dead letter's record on Kafka and sends it back through the inbox.
"""
