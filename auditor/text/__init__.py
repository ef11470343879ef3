"""Text stage: normalising characters (same length, so offsets hold), clause numbering, and segmentation."""
