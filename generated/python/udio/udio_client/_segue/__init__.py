"""segue's SDK runtime, copied verbatim (imports made relative) into each SDK distribution."""
