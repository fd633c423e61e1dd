// Positions, elements and attributes are part of the model rules work with.
@_exported import NexlintXML
