/// Office Open XML spreadsheets, written and read without third-party XLSX libraries.
public enum XLSX {}
