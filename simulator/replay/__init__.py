"""The replay server: a Socrata-compatible portal and PACO file host over generated data, on 127.0.0.1."""
