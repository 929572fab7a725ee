# 钟楼区人社局业务管理系统 — two commands:
#   make run    set up everything on a fresh machine and serve the demo site
#   make test   run the whole test suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The test site: SQLite by default; CI points ZHONGLOU_SITE at a MariaDB + Redis site.
TEST_SITE ?= $(or $(ZHONGLOU_SITE),test)
PYTEST_ARGS ?=
# Two processes on the two cores (each with its own test database).
PYTEST_WORKERS ?= 2

.PHONY: run test deps venv frontend translations demo-site clean-venv mariadb-driver miniprogram miniprogram-h5 manual

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

frontend: node_modules/.installed

translations: venv
	@$(PY) scripts/compile_translations.py

deps: venv frontend translations

demo-site: deps
	@$(PY) manage.py new_site demo --demo --if-missing
	ZHONGLOU_SITE=demo $(PY) manage.py migrate --noinput -v 0
	ZHONGLOU_SITE=demo $(PY) manage.py sync_fixtures
	ZHONGLOU_SITE=demo $(PY) manage.py collectstatic --noinput -v 0
	ZHONGLOU_SITE=demo $(PY) manage.py load_demo

run: demo-site $(if $(HAVE_NODE),miniprogram-h5)
	@echo "演示站点：http://127.0.0.1:$(PORT)/   工作台：http://127.0.0.1:$(PORT)/desk/   码上办手机版：http://127.0.0.1:$(PORT)/m/"
	ZHONGLOU_SITE=demo $(PY) manage.py runserver 127.0.0.1:$(PORT)

# --- 码上办 phone client (clients/miniprogram, docs/miniprogram.md) ----------------------
# uni-app builds the WeChat mini program (dist/build/mp-weixin) and its H5 twin
# (dist/build/h5, served by Django under /m/). Each step runs only when its inputs
# changed: node_modules stays cached (npm ci only after a package change), a build
# takes about 10 s per target and the jest + wcc checks about 20 s.
MP_DIR := clients/miniprogram
# The API address compiled into the mini program (its request/uploadFile domain).
# The default is the local demo site (`make run`) for WeChat's developer tools;
# a release build names the bureau's HTTPS host: make miniprogram MINIPROGRAM_API_BASE=https://…
MINIPROGRAM_API_BASE ?= http://127.0.0.1:8000
HAVE_NODE := $(shell command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && echo yes)
MP_SOURCES := $(shell find $(MP_DIR)/src -type f 2>/dev/null) $(MP_DIR)/vite.config.js $(MP_DIR)/index.html
MP_TESTS := $(shell find $(MP_DIR)/tests -type f 2>/dev/null) $(MP_DIR)/jest.config.js

$(MP_DIR)/node_modules/.installed: $(MP_DIR)/package.json $(MP_DIR)/package-lock.json
	cd $(MP_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(MP_DIR)/dist/build/h5/index.html: $(MP_DIR)/node_modules/.installed $(MP_SOURCES)
	cd $(MP_DIR) && VITE_API_BASE= npx uni build
	@touch $@

$(MP_DIR)/dist/.mp-weixin-$(subst /,_,$(subst :,_,$(MINIPROGRAM_API_BASE))): $(MP_DIR)/node_modules/.installed $(MP_SOURCES)
	cd $(MP_DIR) && VITE_API_BASE=$(MINIPROGRAM_API_BASE) npx uni build -p mp-weixin
	@rm -f $(MP_DIR)/dist/.mp-weixin-* && touch $@

$(MP_DIR)/dist/.tested: $(MP_DIR)/dist/build/h5/index.html $(MP_DIR)/dist/.mp-weixin-$(subst /,_,$(subst :,_,$(MINIPROGRAM_API_BASE))) $(MP_TESTS)
	cd $(MP_DIR) && MINIPROGRAM_API_BASE=$(MINIPROGRAM_API_BASE) npx jest --ci
	@touch $@

miniprogram-h5: $(MP_DIR)/dist/build/h5/index.html

miniprogram: $(MP_DIR)/dist/.tested

# The MariaDB driver (mysqlclient) builds from source against libmariadb-dev:
# only MariaDB sites install it (as root this installs the apt packages too).
mariadb-driver: venv
	@$(PY) manage.py mariadb_driver $(if $(SITE),--site $(SITE))

# With node and npm present the phone client is built and checked first (jest + wcc).
test: deps $(if $(HAVE_NODE),miniprogram)
	@$(PY) manage.py new_site $(TEST_SITE) --if-missing
	@$(PY) manage.py mariadb_driver --site $(TEST_SITE)
	ZHONGLOU_SITE=$(TEST_SITE) $(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The user manuals (docs/manual, issue 18): the browser tests of tests/manual retake every
# picture on the demo data into docs/manual/images (make test takes them into build/ only),
# then each manual's help page is printed to docs/manual/pdf/<manual>.pdf (served at /help/<manual>.pdf).
manual: deps
	@$(PY) manage.py new_site $(TEST_SITE) --if-missing
	ZHONGLOU_SITE=$(TEST_SITE) ZHONGLOU_MANUAL_IMAGES=docs ZHONGLOU_REQUIRE_BROWSER=1 $(PY) -m pytest -q -p no:cacheprovider -m e2e tests/manual --ignore=tests/manual/test_pdf.py
	ZHONGLOU_SITE=$(TEST_SITE) ZHONGLOU_MANUAL_IMAGES=docs ZHONGLOU_REQUIRE_BROWSER=1 $(PY) -m pytest -q -p no:cacheprovider tests/manual/test_pdf.py
	ZHONGLOU_SITE=$(TEST_SITE) $(PY) -m pytest -q -p no:cacheprovider tests/manual -m "not e2e"

clean-venv:
	rm -rf $(VENV) node_modules
