package document

// Internals for the tests of package document_test.
var (
	ParseDate = parseDate
	ValidID   = validID
)
