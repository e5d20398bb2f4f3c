"""The pure model of carefacts: facts, sources, authorities and their values.

``values`` holds the value objects and vocabularies, ``kinds`` the shape of each
kind of fact, ``facts`` and ``registry`` the aggregates and their events, ``errors``
every reason a fact is refused. This package imports nothing else from the project.
"""
