# Builds the Lambda package. `sam build` runs `make build-RemediatorFunction` here (template.yaml:
# Metadata BuildMethod makefile) with ARTIFACTS_DIR set; CI runs the same target.
#
#   LAMBDA_BUILD=aot (default)  Native AOT: one native executable, EcsTimeoutRemediator, plus a `bootstrap` that
#                               starts it, so the package runs on dotnet10 (Handler: EcsTimeoutRemediator) and on
#                               provided.al2023 (Handler: bootstrap). Must be built on Linux of the target
#                               architecture (or in `sam build --use-container`).
#   LAMBDA_BUILD=jit            Framework-dependent, ReadyToRun-compiled EcsTimeoutRemediator.dll for dotnet10;
#                               builds on any machine with the .NET 10 SDK, for either architecture.
#   LAMBDA_ARCH=x86_64|arm64    Must equal the function's Architectures in template.yaml (default x86_64).

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
PROJECT := $(ROOT)/src/EcsTimeoutRemediator/EcsTimeoutRemediator.csproj
LAMBDA_BUILD ?= aot
LAMBDA_ARCH ?= x86_64
# Lambda runs Amazon Linux 2023 (glibc 2.34): a native build must not need a newer glibc symbol.
MAX_GLIBC := 2.34

ifeq ($(LAMBDA_ARCH),x86_64)
  RID := linux-x64
else ifeq ($(LAMBDA_ARCH),arm64)
  RID := linux-arm64
else
  $(error LAMBDA_ARCH must be x86_64 or arm64, not "$(LAMBDA_ARCH)")
endif

HOST_ARCH := $(shell uname -m | sed -e 's/aarch64/arm64/')
HOST_OS := $(shell uname -s)
PUBLISH := dotnet publish $(PROJECT) -c Release -r $(RID) --nologo -p:TreatWarningsAsErrors=true \
	--artifacts-path $(ROOT)/.build/$(LAMBDA_BUILD)-$(RID)

.PHONY: build-RemediatorFunction package check-artifacts-dir check-native-host

build-RemediatorFunction: check-artifacts-dir
ifeq ($(LAMBDA_BUILD),aot)
	$(MAKE) -f $(ROOT)/Makefile check-native-host
	$(PUBLISH) --self-contained true -p:PublishAot=true -o $(ARTIFACTS_DIR)
	rm -f $(ARTIFACTS_DIR)/*.dbg $(ARTIFACTS_DIR)/*.pdb
	printf '#!/bin/sh\n# provided.al2023 starts /var/task/bootstrap: run the Native AOT executable beside it.\nexec "$${LAMBDA_TASK_ROOT:-/var/task}/EcsTimeoutRemediator" "$$@"\n' > $(ARTIFACTS_DIR)/bootstrap
	chmod 755 $(ARTIFACTS_DIR)/bootstrap $(ARTIFACTS_DIR)/EcsTimeoutRemediator
	@needed=$$(objdump -T $(ARTIFACTS_DIR)/EcsTimeoutRemediator 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1); \
	if [ -n "$$needed" ] && [ "$$(printf '%s\n%s\n' "$$needed" "$(MAX_GLIBC)" | sort -V | tail -n 1)" != "$(MAX_GLIBC)" ]; then \
	  echo "error: the native build needs glibc $$needed but Lambda's Amazon Linux 2023 has $(MAX_GLIBC): build in the Lambda build image (sam build --use-container) or use LAMBDA_BUILD=jit" >&2; exit 1; \
	fi
else ifeq ($(LAMBDA_BUILD),jit)
	$(PUBLISH) --self-contained false -p:PublishReadyToRun=true -o $(ARTIFACTS_DIR)
	rm -f $(ARTIFACTS_DIR)/*.pdb $(ARTIFACTS_DIR)/EcsTimeoutRemediator
else
	$(error LAMBDA_BUILD must be aot or jit, not "$(LAMBDA_BUILD)")
endif

check-artifacts-dir:
	@test -n "$(ARTIFACTS_DIR)" || { echo "error: ARTIFACTS_DIR is not set (sam build sets it; by hand: make build-RemediatorFunction ARTIFACTS_DIR=/tmp/pkg)" >&2; exit 2; }
	@mkdir -p $(ARTIFACTS_DIR)

check-native-host:
	@test "$(HOST_OS)" = Linux || { echo "error: Native AOT for Lambda is built on Linux: run sam build --use-container, or LAMBDA_BUILD=jit" >&2; exit 2; }
	@test "$(HOST_ARCH)" = "$(LAMBDA_ARCH)" || { echo "error: this machine is $(HOST_ARCH) and the function $(LAMBDA_ARCH): Native AOT builds for its own architecture; run sam build --use-container, or LAMBDA_BUILD=jit" >&2; exit 2; }
	@command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || { echo "error: Native AOT needs a C toolchain (clang or gcc) and zlib headers" >&2; exit 2; }

# A zip of the package as Lambda takes it, for measuring or uploading by hand.
package: build-RemediatorFunction
	cd $(ARTIFACTS_DIR) && rm -f ../function.zip && zip -qr ../function.zip .
