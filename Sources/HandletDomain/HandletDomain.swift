public enum HandletDomainModule {}
