# Shortcuts for the scripts in .ci/ (the README's two commands work without make).
.PHONY: run test build e2e bench
run:
	bash .ci/demo.sh
test:
	bash .ci/run
build:
	bash .ci/build.sh
e2e:
	bash .ci/e2e.sh
bench:
	bash .ci/bench.sh && cargo run --release -p server --example bench_photo && cargo run --release -p server --example bench_signups
