"""Whole-page caching for readers, surrogate keys, and purging Masthead's cache and the one in
front of it (nginx, Varnish, Fastly, Cloudflare) when a story, a front or a thread changes."""
