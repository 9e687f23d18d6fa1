/// The console's tabs, in the order of DESIGN §8.
public enum ConsoleTabs {
    public static func all(_ context: ConsoleContext) -> [any ConsoleTab] {
        [OverviewTab(context: context), CallsTab(context: context), MessagesTab(context: context), ContactsTab(context: context),
         RetentionTab(context: context)]
    }
}
