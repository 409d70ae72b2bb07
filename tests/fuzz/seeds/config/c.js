module.exports = { dialect: "sqlite", out: "./drizzle", dbCredentials: { url: "file:./app.db" } };
