"""Local social feeds: fetch them (network), parse and sanitise them (pure),
cache them (atomic JSON files), and show them (from the cache only).

    sitegen feeds ──► run.refresh_feeds ──► fetch (transport) ──► parse (bytes → posts) ──► cache
    sitegen build ──► view.latest_posts ◄── cache

Modules, one job each:

- ``addresses``: which IP addresses a feed may come from (checked after DNS).
- ``fetch``: one HTTP GET with timeouts, a size cap, redirects and pinned addresses.
- ``limits``: run jobs with a global and a per-host concurrency limit.
- ``sanitise``: the nh3 allow-list, plain-text conversion, safe links.
- ``parse``: feed bytes → a title and the newest posts, sanitised.
- ``policy``: what a fetch result means for a feed's record (backoff, Retry-After, gone).
- ``cache``: one JSON file per feed, written atomically; the run summary.
- ``workers``: parse in worker processes when a run is big.
- ``run``: fetch every feed of a site and record the results.
- ``summary``: the outcome of each feed in a run, counted and saved.
- ``view``: what a ward page shows, read from the cache only.
- ``checks``: static checks of the feed URLs in area.yaml.
"""
