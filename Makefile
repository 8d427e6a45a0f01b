# OpenKBS Operator: every entry point a developer or CI needs.
# `make run` and `make test` work on a fresh machine with the .NET SDK, moto, kubectl, npm and PostgreSQL 15 (the audit store; /usr/lib/postgresql/15/bin).

SHELL        := /bin/bash
DOTNET       ?= dotnet
SOLUTION     := OpenKbs.Operator.sln
CONFIG       ?= Debug
OPENKBS_DLL  := src/OpenKbs.Operator/bin/$(CONFIG)/net10.0/openkbs.dll
STATE_DIR    ?= .sandbox

.PHONY: build test chaos crds iam deploy-files models run sandbox bench fmt clean wirecheck-deps eslint-baseline-deps access-test helmrender-deps

build:
	$(DOTNET) build $(SOLUTION) -c $(CONFIG) -nologo -clp:ErrorsOnly

test: build wirecheck-deps eslint-baseline-deps access-test helmrender-deps
	DOTNET=$(DOTNET) ./hack/test.sh $(SOLUTION) -c $(CONFIG) --no-build -nologo

# Long seeded fault runs kept out of `make test`: 50 SIGKILL crash runs while 10 accounts are created, the
# creation-slot utilisation measurement (figures in docs/performance.md), and 10 Project crash runs (3 kills each, every
# other run under 20% throttling), and the AccountTransfer crash and throttling runs with the example tenant's Project
# (kills after every step and during each AWS mutation; OPENKBS_TRANSFER_CRASH_RUNS, default 2, the second throttled).
# OPENKBS_CRASH_RUNS / OPENKBS_PROJECT_CRASH_RUNS / OPENKBS_CRASH_SEED narrow it;
# OPENKBS_SLOT_CREATION_SECONDS (default 10) and OPENKBS_SLOT_TRACE=1 (every AWS call) for the utilisation run.
chaos: build
	OPENKBS_CHAOS=1 $(DOTNET) test tests/OpenKbs.EndToEnd.Tests -c $(CONFIG) --no-build -nologo \
		--filter "FullyQualifiedName~CrashKillTests|FullyQualifiedName~SlotUtilisationTests|FullyQualifiedName~ProjectCrashTests|FullyQualifiedName~AccountTransferCrashTests" --logger "console;verbosity=detailed"

# The AWS SDK for JavaScript v3, an independent client for the AWS wire checks (tests/OpenKbs.Aws.Tests/WireCheck).
wirecheck-deps: tests/wirecheck/node_modules/.package-lock.json

tests/wirecheck/node_modules/.package-lock.json: tests/wirecheck/package-lock.json
	cd tests/wirecheck && npm ci --no-audit --no-fund --loglevel=error

# ESLint + eslint-plugin-security, the baseline the code analyzer is compared with (tests/OpenKbs.Audit.Tests/Code/EslintBaselineTests.cs).
eslint-baseline-deps: tests/eslint-baseline/node_modules/.package-lock.json

tests/eslint-baseline/node_modules/.package-lock.json: tests/eslint-baseline/package-lock.json
	cd tests/eslint-baseline && npm ci --no-audit --no-fund --loglevel=error

# The access function and the @openkbs/auth layer (src/OpenKbs.Access, docs/access.md): node --test against moto.
access-test: src/OpenKbs.Access/node_modules/.package-lock.json
	cd src/OpenKbs.Access && npm test

src/OpenKbs.Access/node_modules/.package-lock.json: src/OpenKbs.Access/package-lock.json
	cd src/OpenKbs.Access && npm ci --no-audit --no-fund --loglevel=error

crds:
	$(DOTNET) run --project src/OpenKbs.Operator -c $(CONFIG) -- crds --output crds
	$(MAKE) --no-print-directory deploy-files

# docs/iam: the IAM policies of the management account and of the member access role (+ its trust policy), generated from
# the operations the AWS layer calls (src/OpenKbs.Aws/Permissions/OperatorPermissions.cs); IamPolicyTests fails when stale.
iam:
	$(DOTNET) run --project src/OpenKbs.Operator -c $(CONFIG) -- iam --output docs/iam
	$(MAKE) --no-print-directory deploy-files

# The copies inside the Helm chart and config/ (kustomize cannot reach files outside its root, helm's .Files neither) of
# the generated CRDs, of the RBAC rules, whose one source is config/rbac/{role,leader_election_role,scan_job_role}.yaml, and of the
# generated IAM policies (docs/iam).
# tests/OpenKbs.Deploy.Tests fails when a copy is stale.
deploy-files:
	mkdir -p charts/openkbs-operator/files/crds charts/openkbs-operator/files/rbac charts/openkbs-operator/files/iam config/crd
	rm -f charts/openkbs-operator/files/crds/*.yaml config/crd/openkbs.com_*.yaml
	cp crds/*.yaml charts/openkbs-operator/files/crds/
	cp crds/*.yaml config/crd/
	cp config/rbac/role.yaml config/rbac/leader_election_role.yaml config/rbac/scan_job_role.yaml charts/openkbs-operator/files/rbac/
	cp docs/iam/*.json charts/openkbs-operator/files/iam/

# hack/helmrender: renders charts/openkbs-operator as `helm template` does (no helm binary here) for
# tests/OpenKbs.Deploy.Tests. Needs Go with sprig, yaml.v3 and gojsonschema (Debian packages, installed when missing and
# permitted); lua5.1 runs the Argo CD health checks. Without them the tests that need them skip and say why.
HELMRENDER    := hack/helmrender/bin/helmrender
GO_DEBS       := golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev golang-github-xeipuuv-gojsonschema-dev lua5.1
helmrender-deps: $(HELMRENDER)

$(HELMRENDER): hack/helmrender/main.go
	@if ! command -v go >/dev/null || ! command -v lua5.1 >/dev/null || [ ! -d /usr/share/gocode/src/github.com/xeipuuv/gojsonschema ] \
		|| [ ! -d /usr/share/gocode/src/github.com/Masterminds/sprig ] || [ ! -d /usr/share/gocode/src/gopkg.in/yaml.v3 ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo -n ); \
		$$SUDO apt-get install -y --no-install-recommends $(GO_DEBS) >/dev/null 2>&1 \
		|| { $$SUDO apt-get update >/dev/null 2>&1 && $$SUDO apt-get install -y --no-install-recommends $(GO_DEBS) >/dev/null 2>&1; } \
		|| echo "helmrender-deps: cannot install $(GO_DEBS); the chart rendering tests will skip"; \
	fi
	@if command -v go >/dev/null; then \
		cd hack/helmrender && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$${GOCACHE:-/tmp/openkbs-gocache} go build -o bin/helmrender . ; \
	fi

# The request/response records of the hand-written AWS clients (src/OpenKbs.Aws/*/Model/*.g.cs) from the generator's spec.
models:
	python3 hack/gen-aws-models.py

run: build
	./hack/run.sh "$(OPENKBS_DLL)" "$(STATE_DIR)"

sandbox: build
	$(DOTNET) $(OPENKBS_DLL) sandbox --state-dir $(STATE_DIR)

bench: eslint-baseline-deps
	$(DOTNET) run --project bench/OpenKbs.Benchmarks -c Release -- all

fmt:
	$(DOTNET) format $(SOLUTION)

clean:
	$(DOTNET) clean $(SOLUTION) -nologo
	rm -rf $(STATE_DIR)
