"""The read API over the warehouse marts (docs/api.md): `python -m api` or `make api`."""
