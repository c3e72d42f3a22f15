"""Talking to the backend: the HTTP connection, starting a local server, cluster status."""
