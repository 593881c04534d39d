package planner

// ImportSummary counts what an import of a JSON export wrote; an item that
// replaced one with the same ID counts too.
type ImportSummary struct {
	Posts, Plans, Exceptions, Goals, Accounts int
	Profile, Settings                         bool
	// Calendars counts work calendars, each with its busy time if the file has it.
	Calendars    int
	OrgKit       bool
	Feeds, Items int
	// Images counts the images the file holds, each stored once.
	Images int
}
