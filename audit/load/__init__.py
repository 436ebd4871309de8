"""Reading a rule pack: YAML with file:line errors, its checks and reachability, the cache."""
