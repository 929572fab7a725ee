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

.PHONY: run test deps venv frontend translations demo-site clean-venv mariadb-driver

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

run: demo-site
	@echo "演示站点：http://127.0.0.1:$(PORT)/   工作台：http://127.0.0.1:$(PORT)/desk/"
	ZHONGLOU_SITE=demo $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The MariaDB driver (mysqlclient) builds from source against libmariadb-dev:
# only MariaDB sites install it (as root this installs the apt packages too).
mariadb-driver: venv
	@$(PY) manage.py mariadb_driver $(if $(SITE),--site $(SITE))

test: deps
	@$(PY) manage.py new_site $(TEST_SITE) --if-missing
	@$(PY) manage.py mariadb_driver --site $(TEST_SITE)
	ZHONGLOU_SITE=$(TEST_SITE) $(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

clean-venv:
	rm -rf $(VENV) node_modules
