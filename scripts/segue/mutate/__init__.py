"""`segue mutate`: the contract suite's mutation score.

- `mutants` — derive the mutants from the specs (spec constraints, callback field names) and
  the mock's behaviour mutants.
- `workspace` — write each spec mutant's spec folder.
- `runner` — run the contract suite against the mock serving each mutant (true specs as oracle).
- `command` — the CLI: profiles, the table, the exit code.
"""
