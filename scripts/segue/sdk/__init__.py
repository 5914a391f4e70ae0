"""The spec-derived SDK layer: `runtime/` is copied into every vendor's distribution.

`runtime/` is hand-written, vendor-neutral code (typed errors, preflight, retries, `Task.wait`,
webhooks) that reads every vendor fact from the bundled spec it is shipped with. `build` writes
one distribution per vendor under generated/python/<vendor>/ (`segue generate` calls it): the
runtime copied in (its `segue` imports made relative, `VendorError` renamed `KieError` /
`UdioError`), the preflight engine (`speclib`, `schema_errors`, `request_validation`) copied
beside it, the bundle JSON, and a facade module with one typed method per operation.
"""
