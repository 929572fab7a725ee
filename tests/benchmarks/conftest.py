"""The benchmark generator's tests play generated data against kuaiban's own
rules: they use kuaiban's test people and cases."""

from tests.kuaiban.conftest import case_in, new_case, people, run_steps  # noqa: F401  (fixtures)
