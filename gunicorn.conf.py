# gunicorn's settings for every site (read from the working directory, or
# `--config gunicorn.conf.py`); the command line adds workers and the address
# (docs/deployment.md).
#
# No personal data in its logs (issue 10 item 5): the logger class drops the
# query string (a keyword search by ID number or phone) from what the access
# log may name and masks ID numbers and mobiles in every access and error
# line; the access format names the path (%(U)s), not the request line with
# its query (%(r)s). Turn the access log on with --access-logfile.
pythonpath = "apps"
logger_class = "zhonglou_hrss.core.logging.GunicornLogger"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s"'
