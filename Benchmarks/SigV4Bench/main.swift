print("sigv4-bench: not yet written")
