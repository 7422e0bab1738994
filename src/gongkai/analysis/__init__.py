"""Analysis over reports: agency identity, year-on-year comparison, compiling subordinate reports
upward (rollup)."""
