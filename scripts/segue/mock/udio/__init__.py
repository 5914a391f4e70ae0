"""The mock of udioapi.pro's Udio API: `urls` (routes), `responses` (parse, state, render)."""
