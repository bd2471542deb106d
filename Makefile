# mailbot: the two set-up commands are `make demo` and `make test`.
GO ?= go
STATICCHECK_VERSION = v0.8.2

.PHONY: all build demo test test-short lint bench clean fuzz

all: build

build:
	$(GO) build -o bin/mailbot ./cmd/mailbot

# Runs mailbot on in-process IMAP and SMTP servers with sample mails.
demo:
	$(GO) run ./cmd/mailbot demo

# Unit, integration and end-to-end tests. The end-to-end tests start a
# private Dovecot and Postfix on 127.0.0.1 (scripts/mailservers.sh); they
# skip when those are not installed, and fail instead when CI=true.
test: lint
	$(GO) test -race -shuffle=on -count=1 -timeout 10m ./...

# Without the race detector and the end-to-end tests, for quick edits.
test-short:
	$(GO) test -short -count=1 ./...

# Runs each fuzz target for FUZZTIME (default 5s); `make test` runs only
# their seed corpora.
fuzz:
	GO=$(GO) scripts/fuzz.sh

# End-to-end and Go benchmarks (scripts/bench.sh); never part of make test.
bench:
	scripts/bench.sh

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@if $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -version >/dev/null 2>&1; then \
		$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...; \
	else echo "staticcheck not available from the module proxy, skipped"; fi

clean:
	rm -rf bin
