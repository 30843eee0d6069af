namespace Harmony.Tests; public class T { [Fact] public void A() { } }
