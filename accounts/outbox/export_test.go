package outbox

// Hooks into the package's internals for its external tests.

// AfterSend sets a function run between the network's answer to a part and
// its record.
func AfterSend(o *Outbox, fn func(accountID string, part int, remoteID string)) {
	o.afterSend = func(accountID string, part int, r Remote) { fn(accountID, part, r.ID) }
}

// BeforeSend sets a function run between a part's pending mark and its
// request.
func BeforeSend(o *Outbox, fn func(accountID string, part int)) { o.beforeSend = fn }
