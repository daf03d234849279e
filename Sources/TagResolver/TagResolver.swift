// TagResolver: resolver server and registry. Filled by the resolver issue.
