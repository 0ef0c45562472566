# A 120-second slice of the stress run (tests/stress.sh; `make stress` runs
# it for longer): migration from every direction with every byte checked,
# policy and backend churn with injected faults, memory pressure -- nothing
# lost, counters consistent, no splat, everything unloadable.
exec "$TOP/tests/stress.sh" 120
