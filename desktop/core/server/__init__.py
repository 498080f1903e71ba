"""`shopscribe serve`: the loaded engine behind an OpenAI-compatible HTTP API, for scripts and other tools
on this computer (or, with an API key, the local network). `api.py` reads and writes the API's JSON;
`app.py` is the ASGI application (Starlette, served by uvicorn)."""
