// Package mastodon speaks the Mastodon client API, which Mastodon and
// compatible servers (GoToSocial, Pleroma, Akkoma) serve: registering Kaiku
// as an app on an instance, the OAuth authorization-code flow (with PKCE
// where the server offers it), the signed-in account, the instance's
// limits, publishing statuses and finding them again, and revoking a token.
//
// Every failure is a *remote.Error whose Kind tells the caller what to do:
// KindAuth (401) means linking again, KindRejected (400, 422, 404) means
// the server refused the status and says why in Detail, KindRate (429)
// means waiting until Reset (X-RateLimit-Reset), KindServer and
// KindNetwork may pass, and MaybeSent says a status may have gone out
// although no good answer came back: look for it with FindStatus before
// sending it again, since servers may ignore the Idempotency-Key.
package mastodon
