package cmd

// appVersion is Kaiku's version, as FyneApp.toml gives it (a test keeps the
// two the same); feeds and other sites see it in the User-Agent.
const appVersion = "0.1.0"
