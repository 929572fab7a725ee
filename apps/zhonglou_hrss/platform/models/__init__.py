"""The platform's own records (saved reports); custom field definitions are core's."""
