# damon-pause: DAMON pause/resume patch series for Linux 7.3 and its harness.
#
# Entry points: tree, export, kunit, selftest, lint, check, demo, outgoing,
# bench, storm.  Everything is built under build/ (ignored).

SHELL := /bin/bash
TREE ?= build/linux

# The identity that patches/ carries; whoever mails the series becomes its
# author and adds their Signed-off-by (make outgoing SIGNOFF="Name <mail>").
export PATCH_IDENT_NAME ?= damon-pause developers
export PATCH_IDENT_EMAIL ?= damon-pause@example.org

# Kernel config fragments (configs/) for the VM kernel: vm (lockdep) or kcsan.
VARIANT ?= vm

.PHONY: deps tree export kunit vm-kernel selftest lint check demo outgoing \
	bench storm clean

deps:
	@scripts/deps.sh $(shell cat scripts/packages)

tree: deps
	@scripts/expand.sh $(TREE)

export:
	@scripts/export.sh $(TREE)

kunit: tree
	scripts/kunit.sh $(TREE)

vm-kernel: tree
	scripts/vm-build.sh $(TREE) $(VARIANT)

selftest: vm-kernel
	scripts/selftest.sh $(TREE) $(VARIANT)

lint: tree
	scripts/lint.sh $(TREE)

check: tree
	scripts/check.sh $(TREE) 2>&1 | tee build/check.log; exit $${PIPESTATUS[0]}

demo: vm-kernel
	@scripts/deps.sh python3-matplotlib
	scripts/demo.sh $(TREE) $(VARIANT)

outgoing: tree
	scripts/outgoing.sh $(TREE) "$(SIGNOFF)"

# make bench [REPS=7] [SECONDS=5]: base and patched kernels side by side.
REPS ?= 7
SECONDS ?= 5
bench: tree
	@scripts/deps.sh python3-matplotlib
	scripts/bench.sh $(TREE) $(REPS) $(SECONDS)

# make storm [DURATION=600] [THREADS=8] [VARIANT=vm|kcsan] [KERNEL=dir]
DURATION ?= 600
THREADS ?= 8
KERNEL ?= build/vm-$(VARIANT)
storm: vm-kernel
	scripts/storm.sh $(TREE) $(KERNEL) $(notdir $(KERNEL)) $(DURATION) $(THREADS)

clean:
	rm -rf build/results build/out
