import GRDB

extension WorkspaceQuery where Value == WorkspaceRecord {
    /// The one workspace row: name, business, time zone, recording settings.
    public static var settings: Self { .reading(.browse) { try WorkspaceRecord.fetchOne($0, key: 1)! } }
}

extension WorkspaceQuery where Value == WorkspaceInfo {
    /// What `handlet info` shows.
    public static var workspaceInfo: Self { WorkspaceQuery(.browse) { try WorkspaceInfo.read($0.db, workspace: $0.workspace) } }
}

extension WorkspaceQuery where Value == [User] {
    /// Every user, most powerful role first, then by name: who may act, and whom to ask when refused.
    public static var users: Self { .reading(.browse) { try UserDirectory.list($0) } }
}

extension WorkspaceQuery where Value == [UserDirectory.Listed] {
    /// Every user as `.users` orders them, with when each last signed in (the compliance centre's measure).
    public static var usersWithActivity: Self { .reading(.browse) { try UserDirectory.listWithActivity($0) } }
}
