"""Importers of official files: each reads one file format and records its rows as
facts through the ledger, skipping what is already there and counting what it
cannot use, by reason."""
