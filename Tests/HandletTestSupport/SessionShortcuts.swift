import HandletDomain

extension Workspace {
    /// The id of the call a test names by its external id (or number), as `handlet hold CALL` resolves it.
    package func callID(_ reference: String) throws -> Call.ID { try session(as: .system).read(.callID(named: reference)) }
}
