"""Networks of services (issue #20): municipalities that compare their figures and learn from
each other, without a single client leaving any of them."""
