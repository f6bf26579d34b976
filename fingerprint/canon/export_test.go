package canon

// The two paths of AppendName, for the tests of package canon_test.
var (
	AppendNameSlow  = appendNameSlow
	AppendNamePlain = appendNamePlain
)
