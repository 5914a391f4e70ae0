"""The mock of KIE's Suno API: `urls` (routes), `responses` (parse, call the state, render)."""
