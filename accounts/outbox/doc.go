// Package outbox publishes due posts through linked accounts, once (RunDue,
// DryRun) or while the app runs (Start, Stop), and carries out the user's
// decisions about a post (PublishNow, Retry, ConfirmPublished,
// MarkPublishedByHand, Skip). It talks to the networks only through the
// Publisher interface, so the rules below hold for every network alike.
//
// A post never goes out twice. Before any request the post is marked
// publishing, with an attempt ID, and each part is on record as pending,
// with the key that names it on the network (Publisher.NewKey), before its
// request is made; its result replaces the mark once the network answers.
// A pending part is looked for on the network (Publisher.Find) before it is
// ever sent again: found, it is recorded; not found where the network's
// answer is certain (Limits.Certain), it is sent again under the same key;
// otherwise the post waits for the user.
//
// Every move of a post's status, the outbox's own and the user's
// decisions, is one its life cycle allows (planner.Status.CanBecome).
//
// Each of a post's accounts publishes and fails on its own: a refusal on
// one leaves the others to go out, and Retry sends only what has not gone
// out. The post's status sums them up: needs-attention while a part's fate
// is unknown, scheduled while an account waits (to be linked again, for a
// rate limit, for the network), failed when one was refused, published when
// every part is out.
package outbox
