// Package linkedin speaks to LinkedIn for a member who posts as themself
// through their own LinkedIn app (products "Sign In with LinkedIn using
// OpenID Connect" and "Share on LinkedIn"): the OAuth 2.0
// authorization-code flow back to a loopback address, the member's
// OpenID Connect userinfo (the author URN), publishing a post
// (POST /rest/posts) with its commentary in LinkedIn's "little" text
// format and its images (the Images API), once LinkedIn has processed
// them. A token lasts 60 days (Token.Expires); what that means for posts
// planned ahead is planner's (Account.Expires and its Link methods).
//
// Every failure is a *remote.Error whose Kind tells the caller what to do:
// KindAuth means linking again (401, an expired token, with ErrExpired; 403,
// the app or token lacks the permission to post, with ErrPermission),
// KindRejected means LinkedIn refused the post and says why in Detail (400,
// 422, 426), KindRate means waiting until Reset (the next UTC midnight, when
// LinkedIn's daily limits start again), KindServer and KindNetwork may
// pass, and MaybeSent says a post may have gone out although no good answer
// came back. LinkedIn gives a member no way for Kaiku to read their posts,
// so a post of unknown fate is settled by sending it again: LinkedIn then
// refuses it as a duplicate, and the *DuplicateError (see AsDuplicate)
// names the post that went out the first time.
package linkedin
